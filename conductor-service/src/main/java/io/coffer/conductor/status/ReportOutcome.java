package io.coffer.conductor.status;

/** What became of a guest report. */
public enum ReportOutcome {
  /** Newer than anything accepted before: persisted. */
  ACCEPTED,
  /** Not newer than the last accepted report of its instance and method: discarded. */
  STALE,
  /** The instance (or backup) is not known: rejected. */
  UNKNOWN,
  /** The report is invalid (no {@code sent}, dated in the future, bad values): rejected. */
  INVALID
}
