"""The article classifier (issue 14): a suggestion with its confidence, better than always
answering the commonest label on titles it was not trained on, and pre-selected on the
page for a person to confirm."""
from collections import Counter

from django.urls import reverse

from qingnong.ledger.models import AccountTheme, MessageCategory
from qingnong.wechat.classify import labelled_rows, split, suggest, tokens, train
from qingnong.wechat.models import PublishedArticle


def test_the_labelled_set_uses_only_the_ledgers_labels():
    rows = labelled_rows()
    assert len(rows) >= 100
    assert {c for _, c, _ in rows} == set(MessageCategory.values)
    assert {t for *_, t in rows} - {""} == set(AccountTheme.values)


def test_held_out_titles_are_classified_better_than_the_commonest_label():
    training, held_out = split(labelled_rows())
    categories, themes = train(training)
    for model, column in ((categories, 1), (themes, 2)):
        right = sum(model.probabilities(tokens(row[0]))[0][0] == row[column] for row in held_out)
        commonest = Counter(row[column] for row in training).most_common(1)[0][0]
        baseline = sum(row[column] == commonest for row in held_out)
        assert right >= 1.5 * baseline, (column, right, baseline)


def test_a_suggestion_has_labels_and_confidences():
    hint = suggest("关于做好冬季农民工工资支付工作的通知解读")
    assert (hint.category, hint.theme) == ("policy", "policy_explainer")
    assert 0.5 < hint.category_confidence <= 1 and 0.5 < hint.theme_confidence <= 1
    assert "字:通" in tokens("通知") and "，" not in tokens("通知，解读")


def test_the_page_preselects_the_suggestion(client_for, world, linked):
    PublishedArticle.objects.create(link=linked, article_id="X1", title="创业担保贷款怎么申请？最高可贷二十万元",
                                    published_on="2026-12-01")
    body = client_for(world.county_a_admin).get(reverse("wechat:link", kwargs={"account_id": linked.account_id})).content.decode()
    hint = suggest("创业担保贷款怎么申请？最高可贷二十万元")
    assert 'data-testid="suggestion"' in body
    assert f'<option value="{hint.category}" selected>{MessageCategory(hint.category).label}（建议）</option>' in body
