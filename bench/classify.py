"""Accuracy of the article classifier (qingnong/wechat/classify.py, issue 14) on the held-out
fifth of the shipped labelled set, against the baseline of always answering the commonest
label of the training part, both measured in this run.

    .venv/bin/python bench/classify.py
"""
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    from qingnong.wechat.classify import labelled_rows, split, tokens, train

    training, held_out = split(labelled_rows())
    categories, themes = train(training)
    print(f"labelled titles: {len(training)} to train, {len(held_out)} held out")
    print("| label | classifier | baseline (commonest) | ratio |\n| --- | ---: | ---: | ---: |")
    for name, model, column in (("内容类别", categories, 1), ("栏目", themes, 2)):
        right = sum(model.probabilities(tokens(row[0]))[0][0] == row[column] for row in held_out) / len(held_out)
        commonest = Counter(row[column] for row in training).most_common(1)[0][0]
        baseline = sum(row[column] == commonest for row in held_out) / len(held_out)
        print(f"| {name} | {right:.0%} | {baseline:.0%} | {right / baseline:.2f} |")


if __name__ == "__main__":
    main()
