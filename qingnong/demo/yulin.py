"""The Yulin demo: real divisions of 榆林市 plus four demo users and a few villages."""
from django.db import transaction

from qingnong.accounts.models import Role, User

from qingnong.org.divisions import divisions_load
from qingnong.org.models import Org, OrgLevel
from qingnong.org.services import org_create_child

from .assessment import assessment_demo_load
from .campaign import campaign_demo_load
from .ledger import ledger_demo_load
from .live import live_demo_load

DEMO_PASSWORD = "qingnong2014"
# (username, full name, mobile, role, division code of the org)
DEMO_USERS = [
    ("yulin_admin", "榆林市团委管理员", "13800000001", Role.ADMIN, "610800"),
    ("yuyang_admin", "榆阳区团委管理员", "13800000002", Role.ADMIN, "610802"),
    ("yuhe_reporter", "鱼河镇团委填报员", "13800000003", Role.REPORTER, "610802100"),
    ("yuyang_viewer", "榆阳区团委查看员", "13800000004", Role.VIEWER, "610802"),
]
# Made-up sample orgs under 鱼河镇 (marked 演示数据), so the tree has villages to show.
DEMO_CHILDREN = [
    ("鱼河村团支部", OrgLevel.VILLAGE),
    ("王沙洼村团支部", OrgLevel.VILLAGE),
    ("鱼河镇中学团委", OrgLevel.DIRECT),
]


@transaction.atomic
def demo_load():
    """Idempotent: safe to run on every `make demo`. Returns the demo users."""
    divisions_load(code="6108")
    users = []
    for username, full_name, mobile, role, code in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "mobile": mobile, "role": role, "org": Org.objects.get(code=code)},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    yuhe = Org.objects.get(code="610802100")
    for name, level in DEMO_CHILDREN:
        if not Org.objects.filter(parent=yuhe, name=name).exists():
            org_create_child(user=users[0], parent=yuhe, name=name, level=level, note="演示数据")
    ledger_demo_load(user=users[0])
    county_admins = {u.org_id: u for u in users if u.role == Role.ADMIN and u.org.level == OrgLevel.COUNTY}
    campaign_demo_load(city_admin=users[0], county_admins=county_admins)
    assessment_demo_load(city_admin=users[0])
    live_demo_load(city_admin=users[0], county_admins=county_admins)  # today inside a campaign (issue 18)
    return users
