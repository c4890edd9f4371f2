"""CodeBuild: projects driven by CodePipeline.

CreateProject with source type CODEPIPELINE (or NO_SOURCE) and artifacts type CODEPIPELINE was
refused ("Project source location is required"): moto demands a location for every source and
every artifact type but NO_ARTIFACTS. AWS needs one only where there is something to point at:
a repository or bucket source, S3 artifacts. The checks are now AWS's.

CreateProject with encryptionKey (our projects encrypt their artifacts with the pipeline's KMS
key): moto always answered alias/aws/s3, so every plan wanted to set the key again. The given key
is kept now (alias/aws/s3 stays the default).

DeleteProject with the project's ARN (the provider's id of aws_codebuild_project is the ARN and
it deletes by it, as AWS allows): moto looked the ARN up as a name, found nothing and answered
200, so every project outlived its stack's destroy. The ARN is resolved to the name now.
"""

from __future__ import annotations

from typing import Any

SOURCE_TYPES = {"BITBUCKET", "CODECOMMIT", "CODEPIPELINE", "GITHUB", "GITHUB_ENTERPRISE", "GITLAB",
                "GITLAB_SELF_MANAGED", "NO_SOURCE", "S3"}
SOURCE_WITHOUT_LOCATION = {"CODEPIPELINE", "NO_SOURCE"}


def apply() -> None:
    import moto.codebuild.responses as responses
    from moto.codebuild.exceptions import InvalidInputException

    def validate_source(source: dict[str, Any]) -> None:
        if source.get("type") not in SOURCE_TYPES:
            raise InvalidInputException("Invalid type provided: Project source type")
        if source["type"] not in SOURCE_WITHOUT_LOCATION and not source.get("location"):
            raise InvalidInputException("Project source location is required")

    def validate_artifacts(artifacts: dict[str, Any]) -> None:
        kind = artifacts.get("type")
        if kind not in ("CODEPIPELINE", "S3", "NO_ARTIFACTS"):
            raise InvalidInputException("Invalid type provided: Artifact type")
        if kind == "NO_ARTIFACTS" and "location" in artifacts:
            raise InvalidInputException("Invalid artifacts: artifact type NO_ARTIFACTS should have null location")
        if kind == "S3" and not artifacts.get("location"):
            raise InvalidInputException("Project artifacts location is required")

    responses._validate_required_params_source = validate_source
    responses._validate_required_params_artifacts = validate_artifacts

    original_create = responses.CodeBuildResponse.create_project

    def create_project(self):  # type: ignore[no-untyped-def]
        result = original_create(self)
        key = self._get_param("encryptionKey")
        if key:
            project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
            project.project_metadata["encryptionKey"] = key
        return result

    responses.CodeBuildResponse.create_project = create_project

    from moto.codebuild.models import CodeBuildBackend

    original_delete = CodeBuildBackend.delete_project

    def delete_project(self, project_name: str) -> None:  # type: ignore[no-untyped-def]
        if project_name.startswith("arn:") and ":project/" in project_name:
            project_name = project_name.split(":project/", 1)[1]
        original_delete(self, project_name)

    CodeBuildBackend.delete_project = delete_project
