"""The demo passes the data-quality rules it ships with (issue 12): a newcomer's first look
at 数据质量 is an empty list, so a real warning is not buried."""
from qingnong.demo.yulin import demo_load
from qingnong.ledger import quality
from qingnong.ledger.models import MessageRecord, OfficialAccount
from qingnong.lib.dates import today
from qingnong.org.models import Org


def test_the_demo_breaks_none_of_its_rules(world):
    # The shared test world already gave 榆阳区 an official account; the demo sets up its own.
    MessageRecord.all_objects.filter(account__isnull=False).delete()
    OfficialAccount.all_objects.all().delete()
    demo_load()
    city = Org.objects.get(code="610800")
    found = quality.violations(city, rules=quality.rules_for(city), today=today())
    assert [(v.rule.key, v.township["name"], v.message) for v in found] == []
