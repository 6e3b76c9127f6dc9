"""The statuses of the app's records and what each means for the policy: one place for every list
of statuses the glue, jobs and reports use. Framework-free."""

# Support Request.status
WAITING_ON_CUSTOMER = "Waiting on Customer"
RESOLVED = "Resolved"
CLOSED = "Closed"
OUT_OF_SCOPE = "Out of Scope"
# Being worked on: the queue, the workload and the "open requests" card count these.
OPEN = ("Open", "In Progress", WAITING_ON_CUSTOMER)
# The work is done. Either can be reopened: the resolution clock then restarts (glue.sla.reopen).
FINISHED = (RESOLVED, CLOSED)
# The clock pauses in these and resumes when they end.
PAUSING = (WAITING_ON_CUSTOMER,)
# Requests whose deadlines a calendar or plan change can still move.
RECALCULABLE = (*OPEN, RESOLVED)

# Support Contract.status
CONTRACT_IN_FORCE = ("Pending Delivery", "Active")
# Not ended: a draft may still be signed, so its users are spoken for.
CONTRACT_NOT_ENDED = ("Draft", *CONTRACT_IN_FORCE)
