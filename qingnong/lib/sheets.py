"""Tables and field lists declared as data: the one description of a sheet's layout.

A `TableLayout` names its title, the header line's fields, its columns (each with its path
in the merged header) and its footer rows; a `FieldListLayout` is a form of label | value
rows. `qingnong.lib.xlsx` writes either to a worksheet; the official forms (reports/layouts)
and the ledger lists' exports (ledger/exports.py) declare theirs with these classes, and the
forms' HTML view and Excel import read the same declarations.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HeaderField:
    key: str  # "filled_by"
    label: str  # "填表人"


@dataclass(frozen=True)
class Column:
    key: str  # "home_farming"
    header: tuple  # its path in the merged header: ("微信群内成员数(人)", "在乡", "务农")
    width: float = 7  # Excel column width (characters)
    kind: str = "int"  # "int" | "decimal" (0.00) | "text" | "date" (a real Excel date: the ledger lists' exports)
    aliases: tuple = ()  # other spellings seen in returned files
    bound: int | None = None  # the largest plausible figure of one row: above it, a typing error

    @property
    def label(self):
        return "·".join(self.header)


@dataclass(frozen=True)
class Footer:
    key: str  # "subtotal"
    label: str  # "合计"
    # How Excel keeps it true when a cell above is corrected: "rows" = SUM of the rows above,
    # a tuple of footer keys = SUM of those footers; None = a figure of its own.
    total: object = None


@dataclass(frozen=True)
class TableLayout:
    """A form with one row per org (附件3) or per admin (附件2) under a merged header."""

    code: str
    attachment: str
    title: str
    header_fields: tuple
    columns: tuple
    footers: tuple = ()
    blank_rows: int = 0  # the paper form's empty rows
    landscape: bool = True
    autofilter: bool = False  # filter/sort buttons on the header (the ledger lists' exports)
    note: str = ""  # a line under the footers, on screen, on paper and in Excel (why a total is what it is)

    @property
    def depth(self):
        return max(len(c.header) for c in self.columns)

    def header_cells(self):
        """The merged header as [(row, col, last_row, last_col, text)], 0-based within the header.

        Equal header texts side by side on the same level merge across; a header path
        shorter than the depth merges down to the last header row."""
        cells = []
        depth = self.depth
        for level in range(depth):
            col = 0
            while col < len(self.columns):
                column = self.columns[col]
                if level >= len(column.header):
                    col += 1
                    continue
                text = column.header[level]
                end = col
                while (end + 1 < len(self.columns) and len(self.columns[end + 1].header) > level
                       and self.columns[end + 1].header[: level + 1] == column.header[: level + 1]):
                    end += 1
                last_row = depth - 1 if level == len(column.header) - 1 else level
                cells.append((level, col, last_row, end, text))
                col = end + 1
        return cells

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    @property
    def numeric_keys(self):
        return [c.key for c in self.columns if c.kind == "int"]


@dataclass(frozen=True)
class PlanField:
    key: str
    label: str
    kind: str = "int"  # "int" | "text" | "yesno"
    aliases: tuple = ()


@dataclass(frozen=True)
class FieldListLayout:
    """A form of label | value rows (附件1)."""

    code: str
    attachment: str
    title: str
    header_fields: tuple
    fields: tuple = field(default_factory=tuple)
    landscape: bool = False
