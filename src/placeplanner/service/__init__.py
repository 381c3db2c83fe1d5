"""Services: the one path by which the command line and the GUI read and change a plan."""

from placeplanner.service.plan_service import ChangeSet, PlanService, PlanSummary

__all__ = ["ChangeSet", "PlanService", "PlanSummary"]
