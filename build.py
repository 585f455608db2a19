#!/usr/bin/env python3
"""Build every edition of the article. See `python build.py --help`."""
import sys

from publisher.cli import main

if __name__ == "__main__":
    sys.exit(main())
