"""English format overrides (see ``ptsp.formats``)."""

# The first is how a time input shows its value (and what the admin's "Now"
# link types); the others are accepted too.
TIME_INPUT_FORMATS = [
    "%H:%M",  # '14:30'
    "%H:%M:%S",  # '14:30:59'
    "%H:%M:%S.%f",  # '14:30:59.000200'
]
