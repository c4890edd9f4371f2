"""AWS Backup selections and restore testing: not implemented in moto (500 NotImplementedError, or
404 for the restore-testing routes), so aws_backup_selection, aws_backup_restore_testing_plan and
aws_backup_restore_testing_selection (the database layer since issue 16) could not be created and
the provider retried until it gave up.

CreateBackupSelection / GetBackupSelection / DeleteBackupSelection / ListBackupSelections on
/backup/plans/{id}/selections/, and Create/Get/Update/Delete RestoreTestingPlan and
RestoreTestingSelection on /restore-testing/plans[/{name}[/selections[/{name}]]], kept per backend
and returned as given, with AWS's ids, ARNs and epoch-second timestamps. Tags of a restore testing
plan go to the backend's tagger, so ListTags on its ARN answers.

ListTags: moto takes the ARN from the path's second-to-last segment, which is right only with a
trailing slash; the Go SDK sends GET /tags/<arn> without one, so every vault and plan read back no
tags (tags_all drift on each plan). The ARN is everything after /tags/ now.
ListRecoveryPointsByBackupVault: not implemented (404), and the provider lists a vault's recovery
points before it deletes the vault; answered from the vault (moto makes no recovery points: empty).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any


def apply() -> None:
    import moto.backup.urls as urls
    from moto.backup.exceptions import AlreadyExistsException, ResourceNotFoundException
    from moto.backup.responses import BackupResponse

    base = "{0}/restore-testing/plans"
    urls.url_paths[base + "/?$"] = BackupResponse.dispatch
    urls.url_paths[base + "/(?P<plan>[^/]+)/?$"] = BackupResponse.dispatch
    urls.url_paths[base + "/(?P<plan>[^/]+)/selections/?$"] = BackupResponse.dispatch
    urls.url_paths[base + "/(?P<plan>[^/]+)/selections/(?P<selection>[^/]+)/?$"] = BackupResponse.dispatch

    urls.url_paths["{0}/backup-vaults/(?P<vault>[^/]+)/recovery-points/$"] = BackupResponse.dispatch
    urls.url_paths["{0}/backup-vaults/(?P<vault>[^/]+)/recovery-points$"] = BackupResponse.dispatch

    def list_tags(self: BackupResponse) -> str:
        from urllib.parse import unquote

        arn = unquote(self.path.split("?")[0].split("/tags/", 1)[1].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})

    def list_recovery_points_by_backup_vault(self: BackupResponse) -> str:
        name = [p for p in self.path.split("?")[0].split("/") if p][1]
        self.backup_backend.describe_backup_vault(backup_vault_name=name)  # 404 for an unknown vault
        return json.dumps({"RecoveryPoints": []})

    def store(self: BackupResponse, kind: str) -> dict[str, Any]:
        backend = self.backup_backend
        return backend.__dict__.setdefault(f"_moto_ext_{kind}", {})

    def parts(self: BackupResponse) -> list[str]:
        return [p for p in self.path.split("?")[0].split("/") if p]

    # --- backup selections --------------------------------------------------------------------
    def create_backup_selection(self: BackupResponse) -> str:
        plan_id = parts(self)[2]
        self.backup_backend.get_backup_plan(backup_plan_id=plan_id, version_id=None)  # 404 when unknown
        body = json.loads(self.body)
        selection_id = str(uuid.uuid4())
        now = time.time()
        store(self, "selections")[selection_id] = {
            "BackupSelection": body["BackupSelection"],
            "SelectionId": selection_id,
            "BackupPlanId": plan_id,
            "CreationDate": now,
            "CreatorRequestId": body.get("CreatorRequestId"),
        }
        return json.dumps({"SelectionId": selection_id, "BackupPlanId": plan_id, "CreationDate": now})

    def selection(self: BackupResponse) -> dict[str, Any]:
        p = parts(self)
        got = store(self, "selections").get(p[4])
        if got is None or got["BackupPlanId"] != p[2]:
            raise ResourceNotFoundException(msg=f"Backup selection {p[4]} not found")
        return got

    def get_backup_selection(self: BackupResponse) -> str:
        return json.dumps({k: v for k, v in selection(self).items() if v is not None})

    def delete_backup_selection(self: BackupResponse) -> str:
        store(self, "selections").pop(selection(self)["SelectionId"])
        return "{}"

    def list_backup_selections(self: BackupResponse) -> str:
        plan_id = parts(self)[2]
        rows = [
            {
                "SelectionId": s["SelectionId"],
                "SelectionName": s["BackupSelection"]["SelectionName"],
                "BackupPlanId": plan_id,
                "CreationDate": s["CreationDate"],
                "IamRoleArn": s["BackupSelection"].get("IamRoleArn"),
            }
            for s in store(self, "selections").values()
            if s["BackupPlanId"] == plan_id
        ]
        return json.dumps({"BackupSelectionsList": rows})

    # --- restore testing ------------------------------------------------------------------------
    def plan_arn(self: BackupResponse, name: str) -> str:
        return f"arn:aws:backup:{self.region}:{self.current_account}:restore-testing-plan:{name}-{uuid.uuid4().hex[:6]}"

    def create_restore_testing_plan(self: BackupResponse) -> str:
        body = json.loads(self.body)
        plan = dict(body["RestoreTestingPlan"])
        name = plan["RestoreTestingPlanName"]
        plans = store(self, "restore_plans")
        if name in plans:
            raise AlreadyExistsException(msg=f"Restore testing plan {name} already exists")
        now = time.time()
        plan.update(
            RestoreTestingPlanArn=plan_arn(self, name),
            CreationTime=now,
            CreatorRequestId=body.get("CreatorRequestId"),
        )
        plan.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
        plan.setdefault("StartWindowHours", 24)
        plans[name] = plan
        if body.get("Tags"):
            self.backup_backend.tag_resource(plan["RestoreTestingPlanArn"], body["Tags"])
        return json.dumps({"CreationTime": now, "RestoreTestingPlanArn": plan["RestoreTestingPlanArn"], "RestoreTestingPlanName": name})

    def restore_plan(self: BackupResponse) -> dict[str, Any]:
        name = parts(self)[2]
        got = store(self, "restore_plans").get(name)
        if got is None:
            raise ResourceNotFoundException(msg=f"Restore testing plan {name} not found")
        return got

    def get_restore_testing_plan(self: BackupResponse) -> str:
        return json.dumps({"RestoreTestingPlan": {k: v for k, v in restore_plan(self).items() if v is not None}})

    def update_restore_testing_plan(self: BackupResponse) -> str:
        plan = restore_plan(self)
        plan.update({k: v for k, v in json.loads(self.body)["RestoreTestingPlan"].items() if v is not None})
        plan["LastUpdateTime"] = time.time()
        return json.dumps(
            {
                "CreationTime": plan["CreationTime"],
                "RestoreTestingPlanArn": plan["RestoreTestingPlanArn"],
                "RestoreTestingPlanName": plan["RestoreTestingPlanName"],
                "UpdateTime": plan["LastUpdateTime"],
            }
        )

    def delete_restore_testing_plan(self: BackupResponse) -> str:
        plan = restore_plan(self)
        name = plan["RestoreTestingPlanName"]
        if any(s["RestoreTestingPlanName"] == name for s in store(self, "restore_selections").values()):
            raise AlreadyExistsException(msg=f"Restore testing plan {name} still has selections")  # AWS: InvalidRequestException
        store(self, "restore_plans").pop(name)
        return json.dumps({"RestoreTestingPlanName": name})

    def create_restore_testing_selection(self: BackupResponse) -> str:
        plan = restore_plan(self)
        body = json.loads(self.body)
        sel = dict(body["RestoreTestingSelection"])
        key = f'{plan["RestoreTestingPlanName"]}/{sel["RestoreTestingSelectionName"]}'
        sels = store(self, "restore_selections")
        if key in sels:
            raise AlreadyExistsException(msg=f"Restore testing selection {key} already exists")
        now = time.time()
        sel.update(RestoreTestingPlanName=plan["RestoreTestingPlanName"], CreationTime=now, CreatorRequestId=body.get("CreatorRequestId"))
        sel.setdefault("ValidationWindowHours", 0)
        sels[key] = sel
        return json.dumps(
            {
                "CreationTime": now,
                "RestoreTestingPlanArn": plan["RestoreTestingPlanArn"],
                "RestoreTestingPlanName": plan["RestoreTestingPlanName"],
                "RestoreTestingSelectionName": sel["RestoreTestingSelectionName"],
            }
        )

    def restore_selection(self: BackupResponse) -> dict[str, Any]:
        p = parts(self)
        got = store(self, "restore_selections").get(f"{p[2]}/{p[4]}")
        if got is None:
            raise ResourceNotFoundException(msg=f"Restore testing selection {p[2]}/{p[4]} not found")
        return got

    def get_restore_testing_selection(self: BackupResponse) -> str:
        return json.dumps({"RestoreTestingSelection": {k: v for k, v in restore_selection(self).items() if v is not None}})

    def update_restore_testing_selection(self: BackupResponse) -> str:
        sel = restore_selection(self)
        sel.update({k: v for k, v in json.loads(self.body)["RestoreTestingSelection"].items() if v is not None})
        sel["UpdateTime"] = time.time()
        plan = restore_plan(self)
        return json.dumps(
            {
                "CreationTime": sel["CreationTime"],
                "RestoreTestingPlanArn": plan["RestoreTestingPlanArn"],
                "RestoreTestingPlanName": plan["RestoreTestingPlanName"],
                "RestoreTestingSelectionName": sel["RestoreTestingSelectionName"],
                "UpdateTime": sel["UpdateTime"],
            }
        )

    def delete_restore_testing_selection(self: BackupResponse) -> str:
        sel = restore_selection(self)
        store(self, "restore_selections").pop(f'{sel["RestoreTestingPlanName"]}/{sel["RestoreTestingSelectionName"]}')
        return "{}"

    for fn in (
        list_tags,
        list_recovery_points_by_backup_vault,
        create_backup_selection,
        get_backup_selection,
        delete_backup_selection,
        list_backup_selections,
        create_restore_testing_plan,
        get_restore_testing_plan,
        update_restore_testing_plan,
        delete_restore_testing_plan,
        create_restore_testing_selection,
        get_restore_testing_selection,
        update_restore_testing_selection,
        delete_restore_testing_selection,
    ):
        setattr(BackupResponse, fn.__name__, fn)
