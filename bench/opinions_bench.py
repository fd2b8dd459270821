"""Opinion-grouping benchmark: grouping 10⁴ open answers against jieba segmenting the same texts.

    .venv/bin/python -m bench.opinions_bench                 # 10⁴ answers, median of 3
    .venv/bin/python -m bench.opinions_bench --n 100000 --repeat 5 --save

The answers are synthetic but shaped like real ones (seeded, so every run groups the same
texts): about half speak of a topic of the industrial bank (拨付, 申报材料, 政策解读 …), a
quarter of something no topic covers (人才, 用地, 融资 …), the rest are non-answers ("无",
"满意"); fragments and numbers are combined so that most texts are distinct — the hard case,
since identical answers are merged before grouping.  Every answer is one row, as the SQL
``GROUP BY question, text`` would give them.

Timed, after jieba's dictionary is loaded (once per process, ~1 s, not counted in either):

* ``baseline``: ``jieba.lcut`` over every text — the segmenter's own time;
* ``grouped``: ``domain.opinions.build_board`` — merge, set non-answers apart, match the
  bank's keywords, segment and cluster what matched nothing, lay (no) decisions over it;
* ``grouped_plain``: the same with a bank stripped of its keywords and themes, so topics
  match only their own words and far more answers go to clustering (the worst case).

Medians of ``--repeat`` rounds; the ratio grouped / baseline is the figure to read.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from survey_app.domain.banks import load_bank  # noqa: E402
from survey_app.domain.opinions import build_board, segment  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TOPICAL = ["资金拨付太慢，等了{n}个月才到账", "申报材料要求较多，希望简化{n}项手续", "希望加强政策解读，多组织{n}次培训",
           "评审过程不够透明，建议公开打分细则", "奖补额度偏低，与投入相比只占{n}%", "建议简化申报流程，缩短资金拨付时间",
           "主管部门服务态度好，指导及时", "申报指南看不懂，口径不明确", "公示时间太短，只有{n}天",
           "资金对企业转型发展作用明显，带动新增产值{n}万元"]
OTHER = ["希望增加人才引进补贴", "企业用地指标紧张，希望协调{n}亩", "融资难，希望对接银行贷款", "建议搭建产学研合作平台",
         "人才公寓不够，招聘困难", "希望帮助企业开拓市场，组织{n}场展会", "用电成本高，希望给予电价支持",
         "融资担保门槛高", "希望设立技术改造贷款贴息", "物流成本高，园区道路需要改善"]
NONE = ["无", "没有", "暂无", "满意", "好", "没有意见", "无。", "非常满意"]
OPENERS = ["", "建议", "希望", "我们认为", "总体不错，但"]


def answers(n: int, seed: int = 2024) -> list[tuple[str, str, int]]:
    """``n`` rows (question id, text, 1): half topical, a quarter other, a quarter non-answers."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.25:
            rows.append(("S1", rng.choice(NONE), 1))
            continue
        pool = TOPICAL if kind < 0.75 else OTHER
        text = rng.choice(OPENERS) + rng.choice(pool).format(n=rng.randint(1, 400))
        if rng.random() < 0.3:
            text += "；" + rng.choice(TOPICAL + OTHER).format(n=rng.randint(1, 400))
        qid = "S1" if rng.random() < 0.7 else f"Q{rng.randint(1, 10)}R"
        rows.append((qid, text, 1))
    return rows


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(n: int, repeat: int) -> dict:
    bank = load_bank(ROOT / "question_banks" / "industrial_fund.yaml")
    plain = replace(bank, themes=(), sections=tuple(
        replace(s, questions=tuple(replace(q, keywords=()) for q in s.questions)) for s in bank.sections))
    rows = answers(n)
    texts = [text for _, text, _ in rows]
    tok = segment.tokenizer()  # load the dictionary outside the timings
    rounds = {"baseline": [], "grouped": [], "grouped_plain": []}
    for _ in range(repeat):
        rounds["baseline"].append(timed(lambda: [tok.lcut(t) for t in texts]))
        rounds["grouped"].append(timed(lambda: build_board(bank, rows)))
        rounds["grouped_plain"].append(timed(lambda: build_board(plain, rows)))
    board = build_board(bank, rows)
    medians = {k: statistics.median(v) for k, v in rounds.items()}
    return {"n": n, "distinct": len(board.answers.items), "non_answers": board.answers.non_answers,
            "themes": len(board.themes()), "repeat": repeat, "rounds": rounds, "median": medians,
            "ratio": medians["grouped"] / medians["baseline"],
            "ratio_plain": medians["grouped_plain"] / medians["baseline"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="open answers (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported (default 3)")
    parser.add_argument("--save", action="store_true", help="write JSON to bench/results/")
    args = parser.parse_args()
    result = run(args.n, args.repeat)
    m = result["median"]
    print(f"{result['n']} open answers: {result['distinct']} distinct, {result['non_answers']} non-answers, "
          f"{result['themes']} themes")
    print(f"  jieba segmentation (baseline)   {m['baseline']:7.3f} s")
    print(f"  grouping, industrial bank       {m['grouped']:7.3f} s   ratio {result['ratio']:.2f}")
    print(f"  grouping, no bank keywords      {m['grouped_plain']:7.3f} s   ratio {result['ratio_plain']:.2f}")
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"opinions_{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(result, indent=1))
        print(f"saved {path}")


if __name__ == "__main__":
    main()
