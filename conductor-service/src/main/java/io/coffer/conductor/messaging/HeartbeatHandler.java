package io.coffer.conductor.messaging;

import io.coffer.bus.MessageHandler;
import io.coffer.bus.PermanentFailure;
import io.coffer.conductor.config.ConductorConfig;
import io.coffer.conductor.status.HeartbeatRecorder;
import io.coffer.conductor.status.ReportMetrics;
import io.coffer.conductor.status.ReportOutcome;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.ServiceStatus;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** {@code heartbeat}: a guest's periodic service status. */
@ApplicationScoped
class HeartbeatHandler implements MessageHandler<HeartbeatArgs, Void> {

  private final HeartbeatRecorder recorder;
  private final ReportMetrics metrics;
  private final ConductorConfig config;
  private final Clock clock;

  HeartbeatHandler(
      HeartbeatRecorder recorder, ReportMetrics metrics, ConductorConfig config, Clock clock) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Method<HeartbeatArgs, Void> method() {
    return ConductorMethods.HEARTBEAT;
  }

  @Override
  public Void handle(RequestContext context, HeartbeatArgs args) throws Exception {
    String method = method().name();
    String invalid = ReportChecks.invalid(args.instanceId(), args.sent(), config, clock);
    if (invalid == null && (args.payload() == null || args.payload().serviceStatus() == null)) {
      invalid = "no service_status in payload";
    }
    ServiceStatus status = null;
    if (invalid == null) {
      status = ServiceStatus.fromDescription(args.payload().serviceStatus()).orElse(null);
      if (status == null) {
        invalid = "unknown service status '" + args.payload().serviceStatus() + "'";
      }
    }
    if (invalid != null) {
      metrics.count(method, ReportOutcome.INVALID);
      throw new PermanentFailure("heartbeat of " + args.instanceId() + " rejected: " + invalid);
    }
    ReportOutcome outcome = recorder.record(args.instanceId(), status, args.sent());
    metrics.count(method, outcome);
    switch (outcome) {
      case UNKNOWN:
        throw new PermanentFailure("heartbeat of unknown instance " + args.instanceId());
      case STALE:
        Log.debugf(
            "instance %s: heartbeat sent %f is not newer than the stored one, ignored",
            args.instanceId(), args.sent());
        break;
      default:
        break;
    }
    return null;
  }
}
