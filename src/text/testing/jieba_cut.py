"""Prints jieba.cut() of texts, for jieba_test.cc to compare with rmg's segmenter.

Usage: jieba_cut.py TEXTS.jsonl [MO_FILE ...]
Cuts each text of TEXTS.jsonl (one JSON string per line), then each translated message
of the gettext catalogues given (real Chinese text: the zh_CN messages of Debian's
packages). Writes one JSON object {"text": ..., "pieces": [...]} per text to stdout.
Runs under Debian's python3 with python3-jieba.
"""
import gettext
import json
import logging
import sys

import jieba

jieba.setLogLevel(logging.WARNING)


def texts():
    with open(sys.argv[1], encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)
    for path in sys.argv[2:]:
        with open(path, "rb") as catalogue:
            messages = gettext.GNUTranslations(catalogue)._catalog
        for key in sorted(messages, key=str):
            if key:  # the empty msgid holds the catalogue's header
                yield messages[key]


for text in texts():
    print(json.dumps({"text": text, "pieces": list(jieba.cut(text))}))
