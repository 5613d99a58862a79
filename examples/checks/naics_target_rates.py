#!/usr/bin/env python3
"""A check for `synthproof sweep naics`: recovers each leaf code's target rate from the rows and
compares it with the planted probability in truth.csv, as a user's model evaluation would.

Fails (exit 1) when a code with at least MIN_ROWS rows has an observed rate further from its true
probability than Z binomial standard errors (plus 1/n for the exact target's rounding). With Z = 6
a correct generator fails a code with probability about 2e-9, so a sweep of a few hundred runs
over trees of a few hundred leaves falsely fails with probability below 1e-4.

Usage: python3 naics_target_rates.py DIR [Z] [MIN_ROWS]
"""
import json
import math
import os
import sys

import pandas as pd


def main() -> int:
    args = sys.argv[1:]
    folder = args[0] if args else os.environ.get("SYNTHPROOF_DIR", "")
    z = float(args[1]) if len(args) > 1 else 6.0
    min_rows = int(args[2]) if len(args) > 2 else 30
    manifest = json.load(open(os.path.join(folder, "manifest.json")))
    if "naics.csv" not in manifest["files"]:
        print("this check reads naics.csv: generate with format csv", file=sys.stderr)
        return 2
    rows = pd.read_csv(os.path.join(folder, "naics.csv"), dtype=str)
    truth = pd.read_csv(os.path.join(folder, "truth.csv"), dtype={"code": str})
    leaf_column = [c for c in rows.columns if c != "target"][-1]
    rows["target"] = rows["target"].astype(int)
    rates = rows.groupby(leaf_column)["target"].agg(["mean", "count"]).reset_index()
    leaves = truth[truth["level"] == truth["level"].max()][["code", "probability"]]
    merged = rates.merge(leaves, left_on=leaf_column, right_on="code", how="left")
    unknown = merged[merged["probability"].isna()]
    if len(unknown) > 0:
        print(f"{len(unknown)} codes in naics.csv are not leaves of truth.csv, e.g. {unknown[leaf_column].iloc[0]}")
        return 1
    checked = merged[merged["count"] >= min_rows]
    se = (checked["probability"] * (1 - checked["probability"]) / checked["count"]).pow(0.5)
    off = (checked["mean"] - checked["probability"]).abs() > z * se + 1 / checked["count"]
    if off.any():
        worst = checked[off].iloc[0]
        print(f"code {worst[leaf_column]}: observed rate {worst['mean']:.4f} over {int(worst['count'])} rows, true {worst['probability']:.4f}")
        return 1
    print(f"{len(checked)} codes with >= {min_rows} rows recover their true rate within {z} standard errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
