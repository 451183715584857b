package io.tracefold.axon.provenance;

import java.util.Objects;

/**
 * A provenance question that has no answer: an unknown type or id, an id of another type, bad
 * input, or an event store that could not be read. The message says which, in words fit for the
 * person who asked; {@link #reason()} says it for code (e.g. an HTTP status).
 */
public final class ProvenanceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a question has no answer. */
  public enum Reason {
    /** The input is malformed: empty, too long, or a negative sequence. */
    INVALID_INPUT,
    /** The type is neither a known aggregate type nor a known traced projection entity type. */
    UNKNOWN_TYPE,
    /** Nothing is stored under the id (no events of the aggregate; no lineage of the entity). */
    UNKNOWN_ID,
    /** The id belongs to an aggregate of another type. */
    WRONG_TYPE,
    /** The event store or lineage store failed while it was read. */
    STORE_FAILED
  }

  private final Reason reason;

  ProvenanceException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  ProvenanceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Returns why the question has no answer. */
  public Reason reason() {
    return reason;
  }
}
