"""National scale: a synthetic nation in PostgreSQL, and the application measured on it.

    URL=postgres://postgres@127.0.0.1:5432/national
    .venv/bin/python -m bench.national generate --database-url $URL [--scale 1.0] [--seed 2025]
    .venv/bin/python -m bench.national bench --database-url $URL [--runs 5] [--skip import]
    .venv/bin/python -m bench.national remove --database-url $URL

`generate` creates the database if it is missing, migrates it (the application's own
schema), then writes with COPY, in one transaction, a nation of the real shape: the 34
provinces and 3,321 commune-level committees of 1/7/2025 (package vietnam-provinces, as
the demo), ~52,000 grassroots organizations, ~250,000 cells, and 5.6 million members with
their timelines (admission, confirmation for full members, official affiliation periods,
~3 % transfers inside the province, ~2 % exits: deaths, resignations, removals, transfers
out of the system). Organizations get their one OrganizationVersion, and paths, depths and
provinces as `organizations.tree.placement_under` computes them ("12/345/6789/"); members
get every derived column (status, organization, province, org_path, name_folded, name_sort
as `members.bulk` computes them, party-age anchor). Members are stored province by
province, each province in Vietnamese name order. Secondary indexes and the affiliation
exclusion constraint are dropped before the load and rebuilt after it; foreign keys are not
checked row by row (the data is consistent by construction); rows are written frozen (COPY
FREEZE) so that VACUUM has nothing to do; then ANALYZE. Not generated: the simple-history
rows of members (one per member in the application; nothing the benchmarks read), audit
entries, users. `--scale 0.01` gives 56,000 members for development.

`bench` measures, in one run on that data, each application code path (selectors, report
engine, the HTTP page through django.test.Client) beside the raw SQL of
shared/PERFORMANCE-BASELINE.md, and prints Markdown tables of medians and ratios (see
`bench.national.measure`).

`remove` drops the database.
"""
