"""No personal data in logs: query strings (where search boxes put names and readings) are cut
from every logged request line and path."""

import logging
import re

QUERY = re.compile(r"\?[^\s\"']*")


def without_query(text: str) -> str:
    return QUERY.sub("", text)


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_query(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: without_query(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
