"""ElastiCache (Redis OSS) replication groups.

- CreateReplicationGroup: moto lists member clusters (MemberClusters, NodeGroupMembers) but
  creates no cache clusters for them, so DescribeCacheClusters of markmail-<env>-cache-001
  answered CacheClusterNotFound and the provider's read of the group failed. The members are
  now real cache clusters that carry the group's settings (node type, engine and version,
  subnet group, security groups, maintenance window, encryption in transit and at rest, log
  delivery, default parameter group), as AWS reports them.
- CreateReplicationGroup with NumCacheClusters > 1 (and no ReplicasPerNodeGroup) made one
  member only; it makes NumCacheClusters members now (primary + replicas).
- DeleteReplicationGroup: the group stayed "deleting" forever and the provider waited for it to
  disappear until its timeout. The group and its member clusters are removed now (the response
  still says "deleting", as AWS's does).
- DeleteCacheSubnetGroup (destroy of the network layer's aws_elasticache_subnet_group): not
  implemented (HTTP 500, retried until the provider's timeout). Removes the group now
  (CacheSubnetGroupNotFoundFault for an unknown one).
"""

from __future__ import annotations

from typing import Any


def _default_parameter_group(engine: str, version: str | None) -> str:
    major = (version or "7").split(".")[0]
    return f"default.{engine}{major}"


def apply() -> None:
    from moto.elasticache.models import CacheCluster, ElastiCacheBackend, ReplicationGroup

    original_members = ReplicationGroup._set_node_members_clusters_disabled

    def set_members_disabled(self, **kwargs: Any):  # type: ignore[no-untyped-def]
        if not kwargs.get("replicas_per_node_group") and (kwargs.get("num_cache_clusters") or 1) > 1:
            kwargs["replicas_per_node_group"] = kwargs["num_cache_clusters"] - 1
        return original_members(self, **kwargs)

    ReplicationGroup._set_node_members_clusters_disabled = set_members_disabled

    original_create = ElastiCacheBackend.create_replication_group

    def create_replication_group(self, **kwargs: Any):  # type: ignore[no-untyped-def]
        group = original_create(self, **kwargs)
        engine = group.engine or "redis"
        members = [m for ng in group.node_groups for m in ng.get("node_group_members", [])]
        for member in members:
            cluster_id = member["cache_cluster_id"]
            if cluster_id in self.cache_clusters:
                continue
            cluster = CacheCluster(
                account_id=self.account_id, region_name=self.region_name, cache_cluster_id=cluster_id,
                cache_node_type=group.cache_node_type, replication_group_id=group.replication_group_id,
                az_mode="single-az", preferred_availability_zone=member.get("preferred_availability_zone"),
                num_cache_nodes=1, engine=engine, engine_version=group.engine_version,
                cache_parameter_group_name=group.cache_parameter_group_name
                or _default_parameter_group(engine, group.engine_version),
                cache_subnet_group_name=group.cache_subnet_group_name,
                transit_encryption_enabled=group.transit_encryption_enabled, network_type=group.network_type,
                ip_discovery=group.ip_discovery, snapshot_name=None,
                preferred_maintenance_window=group.preferred_maintenance_window, port=group.port,
                notification_topic_arn=group.notification_topic_arn,
                auto_minor_version_upgrade=group.auto_minor_version_upgrade,
                snapshot_retention_limit=group.snapshot_retention_limit, snapshot_window=group.snapshot_window,
                auth_token=None, outpost_mode=None, preferred_outpost_arn=None, preferred_availability_zones=None,
                cache_security_group_names=group.cache_security_group_names, security_group_ids=group.security_group_ids,
                tags=None, snapshot_arns=None, preferred_outpost_arns=None,
                log_delivery_configurations=group.log_delivery_configurations,
                cache_node_ids_to_remove=None, cache_node_ids_to_reboot=None,
            )
            # Fields of DescribeCacheClusters that moto's CacheCluster does not carry.
            cluster.auth_token_enabled = group.auth_token_enabled
            cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
            cluster.transit_encryption_mode = group.transit_encryption_mode
            cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in group.security_group_ids or []]
            cluster.cache_parameter_group = {
                "CacheParameterGroupName": cluster.cache_parameter_group_name,
                "ParameterApplyStatus": "in-sync",
                "CacheNodeIdsToReboot": [],
            }
            cluster.replication_group_log_delivery_enabled = bool(group.log_delivery_configurations)
            self.cache_clusters[cluster_id] = cluster
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group

    original_delete = ElastiCacheBackend.delete_replication_group

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):  # type: ignore[no-untyped-def]
        group = original_delete(self, replication_group_id, retain_primary_cluster)
        for ng in group.node_groups:
            for member in ng.get("node_group_members", []):
                if not (retain_primary_cluster and member.get("current_role") == "primary"):
                    self.cache_clusters.pop(member["cache_cluster_id"], None)
        self.replication_groups.pop(replication_group_id, None)
        return group

    ElastiCacheBackend.delete_replication_group = delete_replication_group

    from moto.core.responses import EmptyResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound
    from moto.elasticache.responses import ElastiCacheResponse

    def delete_cache_subnet_group(self):  # type: ignore[no-untyped-def]
        name = self._get_param("CacheSubnetGroupName")
        if self.elasticache_backend.cache_subnet_groups.pop(name, None) is None:
            raise CacheSubnetGroupNotFound(name)
        return EmptyResult()

    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group
