"""`python -m signin_lab.events.samples [FOLDER]`: write the sample files (data/sample_events by default)."""

import sys

from signin_lab.events.samples.files import write_samples

write_samples(sys.argv[1] if len(sys.argv) > 1 else "data/sample_events")  # silent, as `make samples`
