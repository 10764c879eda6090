package io.coffer.model.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reply to a call: {@code {"result": …, "failure": null | "<json>", "ending": true, "_msg_id":
 * …, "_unique_id": …}} inside an oslo 2.0 envelope, published to the default exchange with the
 * caller's reply queue as routing key.
 *
 * @param result the call's result ({@code null} JSON when it failed or returned nothing)
 * @param failure the remote failure, or {@code null} on success
 * @param ending always {@code true}: Coffer sends one reply message per call
 * @param msgId the {@code _msg_id} of the call this answers
 * @param uniqueId a fresh {@code _unique_id}
 */
public record Reply(
    JsonNode result, RemoteFailure failure, boolean ending, String msgId, String uniqueId) {

  /** True when the remote side raised. */
  public boolean failed() {
    return failure != null;
  }
}
