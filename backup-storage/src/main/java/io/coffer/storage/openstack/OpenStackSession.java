package io.coffer.storage.openstack;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

/**
 * Keystone v3 sessions of one account: one token, reused by every thread until it is about to
 * expire; a token refused earlier (e.g. revoked) is renewed by the client on its 401. openstack4j
 * binds a client to the calling thread, so {@link #client()} is called at the start of each
 * operation.
 */
public final class OpenStackSession {

  private static final System.Logger LOG = System.getLogger(OpenStackSession.class.getName());

  /** A token this close to its expiry is renewed before use. */
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private final OpenStackAccount account;
  private final Config config;
  private final Facing facing;
  private final AtomicInteger authentications = new AtomicInteger();
  private volatile Token token;

  public OpenStackSession(OpenStackAccount account) {
    this.account = account;
    this.config = Config.newConfig().withConnectionTimeout(10_000).withReadTimeout(120_000);
    this.facing = Facing.value(account.endpointInterface());
  }

  /** A client for the calling thread, authenticated with a valid token. */
  public OSClientV3 client() {
    Token t = token;
    if (t == null || expiresSoon(t)) {
      t = authenticate(t);
    }
    OSClientV3 os = OSFactory.clientFromToken(t, facing, config);
    account.region().ifPresent(os::useRegion);
    return os;
  }

  /** Notes the token a client renewed by itself (after a 401), so other threads use it too. */
  public void remember(OSClientV3 os) {
    Token now = os.getToken();
    if (now != null && now != token && !expiresSoon(now)) {
      token = now;
    }
  }

  /** How many times this session authenticated (tokens it asked Keystone for). */
  public int authentications() {
    return authentications.get();
  }

  private static boolean expiresSoon(Token t) {
    return t.getExpires() != null
        && t.getExpires().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE));
  }

  private synchronized Token authenticate(Token stale) {
    if (token != stale && token != null && !expiresSoon(token)) {
      return token;
    }
    OSClientV3 os =
        OSFactory.builderV3()
            .endpoint(account.authUrl())
            .credentials(
                account.username(), account.password(), Identifier.byName(account.userDomain()))
            .scopeToProject(
                Identifier.byName(account.project()), Identifier.byName(account.projectDomain()))
            .perspective(facing)
            .withConfig(config)
            .authenticate();
    token = os.getToken();
    authentications.incrementAndGet();
    LOG.log(
        Level.INFO,
        "authenticated to {0} as {1} (project {2}), token valid until {3}",
        account.authUrl(),
        account.username(),
        account.project(),
        token.getExpires());
    return token;
  }
}
