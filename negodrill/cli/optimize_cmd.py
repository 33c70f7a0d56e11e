"""`negodrill optimize`: fit the FSRS parameters to your own reviews (and `--reset` them)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "optimize", help="fit the scheduler's FSRS parameters to your own reviews",
        description="Fit the FSRS parameters to your review history and compare how well the "
        "default, current and fitted parameters predict it (log loss and RMSE(bins), lower is "
        "better). Nothing is saved without --apply, and --apply saves only a better fit.",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--apply", action="store_true",
                      help="save the fitted parameters when they predict your reviews better")
    what.add_argument("--reset", action="store_true",
                      help="go back to the default parameters")
    p.set_defaults(func=run_optimize)


def run_optimize(args: argparse.Namespace) -> int:
    from negodrill.cli.collection_cmds import opened
    from negodrill.reports import optimizing

    with opened(args, writes=True) as store:
        if args.reset:
            changed = optimizing.reset_parameters(store)
            print("The default parameters are back." if changed
                  else "The default parameters are already in use.")
            return 0
        fit = optimizing.fit_parameters(store)
        applied = optimizing.apply_fit(store, fit) if args.apply else False
    for line in optimizing.describe(fit):
        print(line)
    if fit.parameters is not None:
        print("fitted parameters: " + ", ".join(f"{x:g}" for x in fit.parameters))
    if applied:
        print("Applied: the fitted parameters now schedule your cards.")
    elif fit.better:
        print("Not applied: run `negodrill optimize --apply` to use them.")
    return 0
