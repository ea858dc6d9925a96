"""Own measures: what a person rates (0-4) or measures (a number with a unit and range), presets, units.

Pure modules (`presets`, `units`, `checks`, `daily`) import no SQLAlchemy; `store` reads and writes values."""
