"""The role groups every app uses, each name with one meaning across linli.

An app that needs another set of roles names it after the work (`BALLOT_DESK`), never reuses a
name below with a different set. Administrators pass every check (`access.has_role`), so they
appear in no group.
"""

from __future__ import annotations

from linli.core.models import Role

# 网格员和社区工作人员、书记: the people who do a community's daily work (register residents,
# handle appeals, organise meetings, visit residents in difficulty).
WORKERS: tuple[str, ...] = (Role.STAFF, Role.LEADER)

# The community's leaders: decisions, publications, assignments that others cannot take.
LEADERS: tuple[str, ...] = (Role.LEADER,)

# Those who read a community's working records: its workers and the subdistrict's supervisor.
READERS: tuple[str, ...] = (*WORKERS, Role.SUPERVISOR)

# Everyone in a community's office (and its supervisor): may read its registry and start pages.
OFFICE: tuple[str, ...] = (*WORKERS, Role.WELFARE_REVIEWER, Role.SUPERVISOR)

# The registry: workers edit it; the office reads it; ID numbers are revealed (audited) only to
# those who work with named residents.
REGISTRY_EDITORS: tuple[str, ...] = WORKERS
REGISTRY_READERS: tuple[str, ...] = OFFICE
REVEALERS: tuple[str, ...] = (*WORKERS, Role.WELFARE_REVIEWER)

# Appeals: workers handle them; readers follow them; the liaison of a referred organisation and
# the resident who raised one see their own.
APPEAL_HANDLERS: tuple[str, ...] = WORKERS
APPEAL_VIEWERS: tuple[str, ...] = (*READERS, Role.LIAISON, Role.RESIDENT)

# Welfare review: reviewers and the leader decide steps; workers take applications in; the
# supervisor reads.
WELFARE_REVIEWERS: tuple[str, ...] = (Role.WELFARE_REVIEWER, Role.LEADER)
WELFARE_INTAKE: tuple[str, ...] = (*WELFARE_REVIEWERS, Role.STAFF)
WELFARE_READERS: tuple[str, ...] = (*WELFARE_INTAKE, Role.SUPERVISOR)

# Secret ballots: the leader organises; tellers run the count; workers hand out paper.
BALLOT_ORGANISERS: tuple[str, ...] = LEADERS
BALLOT_DESK: tuple[str, ...] = (*READERS, Role.TELLER)

# The notice board's desk: everyone who publishes or follows notices and objections.
NOTICE_DESK: tuple[str, ...] = (*OFFICE, Role.TELLER)

# Evaluations: the leader organises; workers take paper batches and follow tasks.
EVALUATION_ORGANISERS: tuple[str, ...] = LEADERS

# Welfare register of recipients: the reviewers and the leader, and the supervisor who reads it.
WELFARE_REGISTER_READERS: tuple[str, ...] = (*WELFARE_REVIEWERS, Role.SUPERVISOR)

# The staff evaluation sheet: the leader and the subdistrict's supervisor judge a community's staff.
STAFF_SHEET_READERS: tuple[str, ...] = (Role.LEADER, Role.SUPERVISOR)

# Ballots: workers and tellers hand out paper sheets to voters without a phone.
BALLOT_PAPER_DESK: tuple[str, ...] = (*WORKERS, Role.TELLER)

# Ballots: the tellers type in paper sheets, each on their own.
BALLOT_TELLERS: tuple[str, ...] = (Role.TELLER,)

# Ballots: the organisers and the tellers count and publish results.
BALLOT_COUNTERS: tuple[str, ...] = (*BALLOT_ORGANISERS, Role.TELLER)

# Residents-only notices: read by the office and the residents (not liaisons, not tellers).
NOTICE_READERS: tuple[str, ...] = (*OFFICE, Role.RESIDENT)
