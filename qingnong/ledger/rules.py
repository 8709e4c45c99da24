"""Targets and rules from the 2014 Yulin plan that the ledger itself checks.

Campaign targets (per township, per county) become data in the campaign app; these are
the per-record rules a form shows next to the field.
"""
import re
from qingnong.org.models import OrgLevel

YOUTHS_PER_CADRE = 20  # 每名基层团干部通过微信联系农村青年不少于20名
QR_WARN_DAYS = 2  # warn this many days before a group QR code expires

# The largest plausible figures of one township (issue 17: 99999 groups is a typo, not a
# figure): the largest townships of the seed's province have a few hundred villages and
# tens of thousands of young people. The figures form and the 附件3 import both refuse more.
TOWNSHIP_BOUNDS = {
    "branch_count": 2_000, "cadre_count": 10_000, "youth_count": 200_000, "group_count": 5_000,
    "members": 500_000, "messages": 100_000, "activities": 10_000,
}

# 团县委农村战线团干部微信群或公共号名称统一为“青农XX”
COUNTY_NAME_PATTERN = re.compile(r"^青农\S+")


def county_name_warning(name, org):
    """A warning (never a block) when a county-level 青农 group or account is not named 青农XX."""
    if org.level == OrgLevel.COUNTY and not COUNTY_NAME_PATTERN.match(name or ""):
        short = org.name.rstrip("区县市") or org.name
        return f"按方案要求，县级青农微信群和公众号名称应统一为“青农XX”，如“青农{short}”。"
    return ""
