"""Demo data of the annual assessment: the default rubric and two awards from the account
evaluation (the top score → 优秀公众号, the most new subscribers → 最快增长奖). Idempotent."""
from qingnong.campaign.models import Campaign
from qingnong.org.models import Org

from qingnong.inspection.models import Award, AwardCategory
from qingnong.inspection.selectors.assessment import account_evaluation, campaign_period
from qingnong.inspection.services.assessment import award_create, rubric_create_default


def assessment_demo_load(*, city_admin):
    campaign = Campaign.objects.filter(org=Org.objects.get(code="610800"), year=2014).first()
    if campaign is None:
        return None
    rubric_create_default(campaign, user=city_admin)
    if Award.all_objects.filter(campaign=campaign).exists():
        return campaign
    start, end = campaign_period(campaign)
    rows = account_evaluation(city_admin, campaign=campaign, start=start, end=end)
    if not rows:
        return campaign
    best = rows[0]
    growth = max(rows[1:] or rows, key=lambda r: (r.growth, -r.rank))
    for row, category, reason in [
        (best, AwardCategory.EXCELLENT, f"评比总分 {best.total}，居全市第一：期末关注 {best.subscribers_end} 人，"
                                        f"发布文章 {best.articles} 篇、覆盖 {best.theme_count} 个栏目，管理员 {best.admins} 名。"),
        (growth, AwardCategory.GROWTH, f"评比期间新增关注 {growth.growth} 人（{growth.subscribers_start} → {growth.subscribers_end}）。"),
    ]:
        award_create(user=city_admin, campaign=campaign, official_account=row.account, category=category,
                     period_start=start, period_end=end, reason=reason + "（演示数据）")
    return campaign
