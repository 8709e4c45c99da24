"""CSV downloads that a spreadsheet opens safely."""
import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A typed text that Excel or WPS would run as a formula (=HYPERLINK(…), +cmd…, @SUM…) is
    written with a leading apostrophe, so it shows as typed (OWASP: CSV injection). Numbers
    stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(handle, header, rows):
    """Header and rows to `handle` (opened with newline=""), every cell made safe."""
    writer = csv.writer(handle)
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
