"""`negodrill coach TEXT [--ask ASK] [--json]` and `negodrill coach eval FILE.jsonl [--json]`.

The coach never opens the database: it judges text, or scores a labelled JSONL file whose lines
are {"id", "text", "label"?, "context"?, "situation"?}. With --json, stdout carries exactly one
JSON document.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from negodrill.core.errors import NegodrillError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `coach` subcommand to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "coach",
        help="judge the technique of a sentence, or score a labelled file",
        description=(
            "Judge one sentence: its technique, its flaws and what to fix. "
            "`coach eval FILE.jsonl` scores the coach on labelled lines "
            '({"id", "text", "label", "context", "situation"}). '
            "`coach disagreements` lists the answers where you said the coach was wrong, in the "
            "same line format (-o FILE.jsonl writes them to a file)."
        ),
    )
    parser.add_argument(
        "words", nargs="+", metavar="TEXT", help="the sentence to judge, or: eval FILE.jsonl"
    )
    parser.add_argument("--ask", metavar="ASK", help="the original yes-seeking question")
    parser.add_argument("--situation", metavar="TEXT",
                        help="the drill's situation: tells the coach what the ask is about")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("-o", "--output", metavar="FILE.jsonl", type=Path,
                        help="`coach disagreements`: write them to this file, one line each")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    words: list[str] = list(args.words)
    if words == ["disagreements"]:
        if args.ask or args.situation:
            raise NegodrillError("--ask and --situation are for judging one sentence")
        return _run_disagreements(args)
    if args.output is not None:
        raise NegodrillError("-o is for `coach disagreements`")
    if words[0] == "eval" and len(words) == 2:
        if args.ask or args.situation:
            raise NegodrillError(
                "--ask and --situation are for judging one sentence, not for `coach eval`")
        return _run_eval(Path(words[1]), as_json=bool(args.json))
    return _run_one(" ".join(words), args.ask, args.situation, as_json=bool(args.json))


def _run_one(text: str, ask: str | None, situation: str | None, *, as_json: bool) -> int:
    from negodrill.core.coach import analyse, flaw_descriptions

    result = analyse(text, ask, situation)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return 0
    verdict = "accepted" if result.accepted else "not accepted"
    print(f"{result.label} ({verdict}; suggested grade: {result.suggested_grade.title})")
    if result.unsure:
        print(f"  the coach is not sure (confidence {result.confidence:.2f}): you decide")
    meanings = flaw_descriptions()
    for code in result.flaws:
        print(f"  flaw {code}: {meanings.get(code, '')}")
    for span in result.spans:
        print(f'  cue "{text[span.start : span.end]}" [{span.start}:{span.end}]: {span.reason}')
    for sentence in result.feedback:
        print(f"  > {sentence}")
    return 0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Lines of a JSONL file as objects; one readable NegodrillError for the first bad line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NegodrillError(f"{path}: no such file") from None
    except OSError as exc:
        raise NegodrillError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NegodrillError(f"{path}: is not UTF-8 text") from None
    items: list[dict[str, Any]] = []
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            raise NegodrillError(f"{path}: line {number} is not valid JSON") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise NegodrillError(f'{path}: line {number} needs an object with a "text" string')
        label = item.get("label")
        if label is not None and not isinstance(label, str):
            raise NegodrillError(f'{path}: line {number} has a "label" that is not a string')
        items.append(item)
    return items


def _run_eval(path: Path, *, as_json: bool) -> int:
    from negodrill.core.coach.evaluate import evaluate

    result = evaluate(read_jsonl(path))
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if not result["n"]:
        print(f"{len(result['items'])} lines predicted, none labelled: nothing to score.")
        return 0
    print(f"lines scored: {result['n']}")
    print(f"accuracy:     {result['accuracy']:.3f}")
    print(f"macro-F1:     {result['macro_f1']:.3f}")
    print()
    print(f"{'label':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    for label, row in result["per_label"].items():
        print(
            f"{label:<12} {row['precision']:>9.3f} {row['recall']:>7.3f} "
            f"{row['f1']:>6.3f} {row['support']:>8}"
        )
    labels = list(result["confusion"])
    short = {label: label[:8] for label in labels}
    print()
    print("confusion (rows: gold, columns: predicted)")
    print(f"{'':<12}" + "".join(f"{short[p]:>9}" for p in labels))
    for gold in labels:
        row = result["confusion"][gold]
        print(f"{gold:<12}" + "".join(f"{row[p]:>9}" for p in labels))
    return 0


def _run_disagreements(args: argparse.Namespace) -> int:
    """The learner's disagreements with the coach, as `coach eval` lines."""
    from negodrill.cli import printable
    from negodrill.cli.collection_cmds import opened
    from negodrill.core.coach.words import label_title
    from negodrill.core.files import write_atomically
    from negodrill.storage.disagreements import disagreements

    with opened(args) as store:
        items = disagreements(store)
    lines = [item.eval_line() for item in items]
    if args.output is not None:
        data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        write_atomically(args.output, lambda out: out.write(data.encode("utf-8")))
        print(f"wrote {len(lines)} disagreement{'s' * (len(lines) != 1)} to {args.output}")
        return 0
    if args.json:
        print(json.dumps(lines, ensure_ascii=False))
        return 0
    if not items:
        print("No disagreements yet: on the Review or Practice page, "
              "\"The coach is wrong\" (Ctrl+D) records one.")
        return 0
    for item in items:
        when = item.time.astimezone().strftime("%Y-%m-%d %H:%M") if item.time else ""
        coach = label_title(item.coach_label) + (
            f" ({', '.join(item.coach_flaws)})" if item.coach_flaws else "")
        yours = label_title(item.learner_label) + (", clean" if item.learner_clean else
                                                   ", with a flaw")
        print(f"{when}  \"{printable(item.text)}\"")
        if item.ask:
            print(f"  ask:   {printable(item.ask)}")
        print(f"  coach: {coach}")
        print(f"  you:   {yours}")
        if item.comment:
            print(f"  note:  {printable(item.comment)}")
    return 0
