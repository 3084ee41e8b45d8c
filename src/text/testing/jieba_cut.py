"""Prints jieba.cut() of each text, for jieba_test.cc to compare with rmg's segmenter.

Reads a file of JSON lines, one string each (argv[1]); writes one JSON list of the
pieces per line to stdout. Runs under Debian's python3 with python3-jieba.
"""
import json
import logging
import sys

import jieba

jieba.setLogLevel(logging.WARNING)
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        print(json.dumps(list(jieba.cut(json.loads(line)))))
