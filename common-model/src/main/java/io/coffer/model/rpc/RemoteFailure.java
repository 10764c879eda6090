package io.coffer.model.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The {@code failure} of an oslo.messaging reply: the remote exception's class, module and message.
 * On the wire it is itself a JSON string inside the reply.
 *
 * @param className exception class, e.g. {@code GuestError}
 * @param module module of the class, e.g. {@code trove.common.exception}
 * @param message the exception message
 * @param tb traceback lines (Coffer sends none)
 * @param args positional arguments of the exception
 * @param kwargs keyword arguments of the exception
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RemoteFailure(
    @JsonProperty("class") String className,
    @JsonProperty("module") String module,
    @JsonProperty("message") String message,
    @JsonProperty("tb") List<String> tb,
    @JsonProperty("args") List<Object> args,
    @JsonProperty("kwargs") Map<String, Object> kwargs) {

  /** Module name Coffer uses for its own failures. */
  public static final String COFFER_MODULE = "coffer.guest";

  /** A failure raised by Coffer with the given class name and message. */
  public static RemoteFailure of(String className, String message) {
    return new RemoteFailure(
        className, COFFER_MODULE, message, List.of(), List.of(message), Map.of());
  }
}
