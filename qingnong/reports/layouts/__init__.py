"""The three official forms (附件1/2/3) declared once, as data (qingnong.lib.sheets).

The HTML view, the print view, the Excel export and the Excel import all read these
declarations; no other module writes a cell address or a header text.
"""
from . import plan, progress, roster

LAYOUTS = {"plan": plan.LAYOUT, "roster": roster.LAYOUT, "progress": progress.LAYOUT}


def get(code):
    return LAYOUTS[code]
