"""CodePipeline.

- GetPipeline / ListPipelines / ListPipelineExecutions: moto wrote the timestamps (metadata.created,
  metadata.updated, startTime, lastUpdateTime) as ISO strings; the JSON protocol carries epoch
  seconds, and the Go SDK refuses the strings ("expected Timestamp to be a JSON Number"), so
  aws_codepipeline could not be read after its creation. They are epoch seconds now.
- GetPipelineState (the guide's `aws codepipeline get-pipeline-state`): not implemented in moto.
  It answers now with the pipeline's stages and actions and, per stage, the latest execution (moto
  runs no actions: an execution counts as Succeeded as soon as it starts).
"""

from __future__ import annotations

import json
from typing import Any


def _epoch(dt: Any) -> float:
    return dt.timestamp()


def apply() -> None:
    from moto.codepipeline.models import CodePipeline, PipelineExecution
    from moto.codepipeline.responses import CodePipelineResponse

    def metadata(self) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return {"pipelineArn": self._arn, "created": _epoch(self._created), "updated": _epoch(self._updated)}

    CodePipeline.metadata = property(metadata)

    original_summary = PipelineExecution.to_summary_dict

    def to_summary_dict(self) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        out = original_summary(self)
        out["startTime"], out["lastUpdateTime"] = _epoch(self.start_time), _epoch(self.last_update_time)
        return out

    PipelineExecution.to_summary_dict = to_summary_dict

    def get_pipeline_state(self) -> str:  # type: ignore[no-untyped-def]
        name = self._get_param("name")
        pipeline, _ = self.codepipeline_backend.get_pipeline(name)  # raises PipelineNotFoundException
        cp = self.codepipeline_backend.pipelines[name]
        latest = list(cp.executions.values())[-1] if cp.executions else None
        stages = []
        for stage in pipeline["stages"]:
            state: dict[str, Any] = {
                "stageName": stage["name"],
                "inboundTransitionState": {"enabled": True},
                "actionStates": [{"actionName": a["name"]} for a in stage.get("actions", [])],
            }
            if latest:
                state["latestExecution"] = {"pipelineExecutionId": latest.pipeline_execution_id, "status": latest.status}
                for action in state["actionStates"]:
                    action["latestExecution"] = {"status": latest.status, "lastStatusChange": _epoch(latest.last_update_time)}
            stages.append(state)
        return json.dumps({
            "pipelineName": name, "pipelineVersion": pipeline["version"], "stageStates": stages,
            "created": _epoch(cp._created), "updated": _epoch(cp._updated),
        })

    CodePipelineResponse.get_pipeline_state = get_pipeline_state
