"""Importing a returned 附件1 or 附件3 workbook (issue 5 "In", forms.md "What people send back").

Three steps, each its own function:
- `check_file` / `read_workbook`: refuse what is not a readable spreadsheet (not Excel,
  password-protected, over 10 MB, a zip bomb, empty) before any cell is looked at;
- `analyse`: find the form by its header labels (never fixed addresses), read every row,
  and collect problems at their cells: errors stop the import, warnings are shown;
- `import_preview` saves that as an ImportRun (the file, the problems, the rows as they
  will be stored, against the current values); nothing else is written until
  `import_confirm`, which writes all rows in one transaction or none.
"""
from .plan import analyse_plan, parse_yesno  # noqa: F401
from .progress import analyse_progress, analyse_progress_workbook  # noqa: F401
from .services import (  # noqa: F401
    analyse, bulk_preview, county_for, import_cancel, import_confirm, import_preview, import_runs, import_withdraw, run_save,
)
from .workbook import (  # noqa: F401
    FORM_NAMES, MAX_RATIO, MAX_UNCOMPRESSED, MAX_UPLOAD, Analysis, Grid, ImportRefused, Problems, cell_name,
    check_file, read_workbook,
)
