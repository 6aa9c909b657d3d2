"""linli (邻里): the working system of an urban residents' community for mass work."""

import os

# Names are looked up one character at a time, so pypinyin's phrase dictionary (about 55 MB
# in every process) is never needed; this must be set before pypinyin is first imported.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
