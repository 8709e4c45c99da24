"""Issue 17: the campaign page counts deadlines from today, for a campaign long over too
(it said 已过 102 天 for 2014-08-20, counted from the campaign's last day)."""
from datetime import date

from django.urls import reverse

from qingnong.campaign.models import Campaign
from qingnong.lib.dates import today


def test_a_past_deadline_counts_from_today_and_no_phase_runs(client_for, world):
    campaign = Campaign.objects.get(org=world.city, year=2014)
    html = client_for(world.city_admin).get(reverse("campaign:campaign-detail", args=[campaign.pk])).content.decode()
    gone = (today() - date(2014, 8, 20)).days
    assert f"已过 {gone} 天" in html and "已过 102 天" not in html
    assert "进行中" not in html  # 2014's phases are long over
