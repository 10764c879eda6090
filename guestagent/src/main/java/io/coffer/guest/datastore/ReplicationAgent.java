package io.coffer.guest.datastore;

import java.util.List;
import java.util.Map;

/** Trove's replication calls; positions and snapshots are the engine's own. One per engine. */
public interface ReplicationAgent {

  /** Makes this server a replication source and returns what a new replica needs. */
  Map<String, Object> replicationSnapshot();

  /** What a replica needs to follow this server. */
  Map<String, Object> replicaContext();

  /** Follows the source described by {@code replicaInfo}. */
  void attachReplica(Map<String, Object> replicaInfo, boolean restart);

  /** Stops following the source and becomes writable. */
  void detachReplica(boolean forFailover);

  /** Stops accepting writes (or accepts them again). */
  void makeReadOnly(boolean readOnly);

  /** Becomes a replication source. */
  void enableAsMaster();

  /** Stops being a replication source (drops what it kept for replicas). */
  void demoteReplicationMaster();

  /** The newest position written or replayed. */
  String latestTxnId();

  /** {@code [source identity, position]} of the last replayed change. */
  List<Object> lastTxn();

  /** Waits until the position is replayed. */
  void waitForTxn(String txn);

  /** Removes what this source kept for a replica that left. */
  void cleanupSourceOnReplicaDetach(Map<String, Object> replicaInfo);
}
