"""Attack tests: what a stale browser tab or a raw websocket client could try against the pages."""
