#!/bin/sh
# Regenerate tests/reference/survival_reference.csv: durations from the shipped synthetic
# file and the synthetic populations of 200, 1,000 and 15,000 (analysis.stats.survival.durations),
# then R's survival package (and cmprsk) on them. Needs R with r-cran-survival and r-cran-cmprsk:
#   apt-get install -y r-base-core r-cran-survival r-cran-cmprsk
#   sh tests/reference/make_survival_reference.sh
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python tests/reference/survival_durations.py "$tmp"
Rscript tests/reference/survival_reference.R "$tmp" tests/reference/survival_reference.csv
echo "wrote tests/reference/survival_reference.csv"
