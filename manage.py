#!/usr/bin/env python
"""Django's command-line utility; `linli` is the friendlier front."""

import sys

from linli.cli import main

if __name__ == "__main__":
    main(sys.argv[1:])
