"""How long each stored text may be: one place for the columns and the checks that guard them.

Kept apart from the tables so that field checks, charts and insights can know the limits without
importing SQLAlchemy.
"""

SYMPTOM_MAX_LENGTH = 100
NOTE_MAX_LENGTH = 1000
PATIENT_NAME_MAX_LENGTH = 80
REGION_CODE_LENGTH = 8
TIME_ZONE_MAX_LENGTH = 64  # the longest IANA name is 32 characters
FACTOR_NAME_MAX_LENGTH = 60
CONDITION_MAX_LENGTH = 40
USER_NAME_MAX_LENGTH = 80
EMAIL_MAX_LENGTH = 254
QUESTION_ID_MAX_LENGTH = 60  # a follow-up question's id (data/knowledge/questions.csv)
QUESTION_MAX_LENGTH = 300  # the question as it was asked
MEDICINE_NAME_MAX_LENGTH = 60  # the same as a factor's name: an as-needed dose is also a factor
DOSE_UNIT_MAX_LENGTH = 20
MEDICINE_FORM_MAX_LENGTH = 20
SCHEDULE_MAX_LENGTH = 60  # up to MAX_TIMES_A_DAY "HH:MM" times, space-separated
MEASURE_NAME_MAX_LENGTH = 40
MEASURE_UNIT_MAX_LENGTH = 20
PRESET_MAX_LENGTH = 30
