"""Reads one query from the ConcordDb sandbox with python-tds (an independent TDS client, Debian's
python3-tds) and prints the rows as JSON, each value as text in one canonical form per type.

Usage: python3 concord-pytds.py '{"host": ..., "port": ..., "user": ..., "password": ..., "database": ..., "sql": ..., "params": {...}}'
"""
import json
import sys
import uuid
from decimal import Decimal

import pytds
from pytds import tds_types


def read_datetime2(self, r, size):
    """python-tds's own decoding of datetime2, kept to 100 ns (Python's datetime stops at microseconds)."""
    time = self._read_time(r, size - 3, self._typ.precision)
    day = self._read_date(r).to_pydate()
    ns = time.nsec
    return "%04d-%02d-%02d %02d:%02d:%02d.%07d" % (
        day.year, day.month, day.day,
        ns // 3_600_000_000_000, ns // 60_000_000_000 % 60, ns // 1_000_000_000 % 60, ns % 1_000_000_000 // 100,
    )


tds_types.DateTime2Serializer.read_fixed = read_datetime2


def text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, uuid.UUID):
        return str(value).upper()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


def main():
    args = json.loads(sys.argv[1])
    conn = pytds.connect(
        server=args["host"], port=args["port"], user=args["user"], password=args["password"],
        database=args["database"], autocommit=True, login_timeout=15, timeout=60,
    )
    try:
        cursor = conn.cursor()
        cursor.execute(args["sql"], args.get("params") or None)
        columns = [d[0] for d in cursor.description]
        rows = [[text(v) for v in row] for row in cursor.fetchall()]
        json.dump({"columns": columns, "rows": rows}, sys.stdout, ensure_ascii=False)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
