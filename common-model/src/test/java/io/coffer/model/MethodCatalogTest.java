package io.coffer.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.rpc.Envelope;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.MethodKind;
import io.coffer.model.rpc.Reply;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.rpc.TimeoutClass;
import io.coffer.model.secret.Secret;
import io.coffer.model.taskmanager.CreateInstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MethodCatalogTest {

  private final MessageCodec codec = new MessageCodec();

  @Test
  void everyMethodRoundTripsThroughTheWireFormat() throws Exception {
    for (Method<?, ?> method : all()) {
      Object args = sample(method.argsType(), method.name());
      Envelope sent =
          method.isCall()
              ? codec.call(cast(method), RequestContext.service(), args, "reply_x")
              : codec.cast(cast(method), RequestContext.service(), args);

      Envelope received = codec.decode(codec.encode(sent));

      assertThat(received.method()).isEqualTo(method.name());
      assertThat(received.version()).isEqualTo(method.version());
      assertThat(received.isCall()).isEqualTo(method.isCall());
      assertThat(codec.args(received, method)).as(method.name()).isEqualTo(args);
      for (Iterator<String> it = received.args().fieldNames(); it.hasNext(); ) {
        assertThat(it.next()).as(method.name()).matches("[a-z0-9_]+");
      }
    }
  }

  @Test
  void everyCallResultRoundTrips() throws Exception {
    for (Method<?, ?> method : all()) {
      if (!method.isCall() || method.resultType() == Void.class) {
        continue;
      }
      Object result =
          method.resultType() == JsonNode.class
              ? TextNode.valueOf("r")
              : sample(method.resultType(), "result");
      Envelope call = codec.call(cast(method), RequestContext.service(), null, "reply_x");
      Reply reply = codec.decodeReply(codec.encodeReply(codec.success(call, result)));
      Object decoded = codec.result(reply, method);
      if (result instanceof Object[] array) {
        assertThat((Object[]) decoded).as(method.name()).containsExactly(array);
      } else {
        assertThat(decoded).as(method.name()).isEqualTo(result);
      }
    }
  }

  @Test
  void namesAreUniqueAndKindsFollowTrove() {
    Set<String> seen = new HashSet<>();
    for (Method<?, ?> m : TaskManagerMethods.ALL) {
      assertThat(seen.add("tm." + m.name())).isTrue();
      assertThat(m.kind()).isEqualTo(MethodKind.CAST);
    }
    for (Method<?, ?> m : ConductorMethods.ALL) {
      assertThat(seen.add("c." + m.name())).isTrue();
      assertThat(m.kind()).isEqualTo(MethodKind.CAST);
    }
    for (Method<?, ?> m : GuestMethods.ALL) {
      assertThat(seen.add("g." + m.name())).isTrue();
    }
    assertThat(TaskManagerMethods.ALL).hasSize(22);
    assertThat(ConductorMethods.ALL).hasSize(6);
    assertThat(GuestMethods.ALL).hasSize(53);
    assertThat(GuestMethods.LIST_DATABASES.timeout()).isEqualTo(TimeoutClass.LOW);
    assertThat(GuestMethods.LIST_USERS.timeout()).isEqualTo(TimeoutClass.HIGH);
    assertThat(GuestMethods.GET_REPLICATION_SNAPSHOT.timeout()).isEqualTo(TimeoutClass.SNAPSHOT);
    assertThat(GuestMethods.PREPARE.kind()).isEqualTo(MethodKind.CAST);
    assertThat(GuestMethods.PREPARE.version()).isEqualTo("1.1");
    assertThat(GuestMethods.RESIZE_FS.version()).isEqualTo("1.1");
    assertThat(TimeoutClass.SNAPSHOT.defaultTimeout().toSeconds()).isEqualTo(1800);
  }

  @Test
  void createInstanceUsesTroveArgumentNames() {
    Envelope e =
        codec.cast(
            TaskManagerMethods.CREATE_INSTANCE,
            RequestContext.service(),
            (CreateInstanceArgs) sample(CreateInstanceArgs.class, "x"));
    Set<String> names = new TreeSet<>();
    e.args().fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder(
            "instance_id",
            "name",
            "flavor",
            "image_id",
            "databases",
            "users",
            "datastore_manager",
            "packages",
            "volume_size",
            "backup_id",
            "availability_zone",
            "root_password",
            "nics",
            "overrides",
            "slave_of_id",
            "cluster_config",
            "volume_type",
            "modules",
            "locality",
            "access",
            "ds_version",
            // Coffer's point-in-time recovery, left out when null (see below)
            "wal_archive_of",
            "restore_time");
    assertThat(e.args().get("instance_id").isTextual()).isTrue();
    assertThat(e.args().get("users").get(0).has("_password")).isTrue();
    assertThat(e.args().get("databases").get(0).has("_character_set")).isTrue();
  }

  @Test
  void createInstanceReadsTheMultiReplicaListForm() {
    String body =
        "{\"method\":\"create_instance\",\"args\":{\"instance_id\":[\"a\",\"b\"],"
            + "\"name\":[\"r-1\",\"r-2\"],\"root_password\":null}}";
    CreateInstanceArgs args =
        codec.args(codec.decode(body.getBytes()), TaskManagerMethods.CREATE_INSTANCE);
    assertThat(args.instanceId()).containsExactly("a", "b");
    assertThat(args.name()).containsExactly("r-1", "r-2");
    assertThat(args.rootPassword()).isNull();
  }

  @SuppressWarnings("unchecked")
  private static <A> Method<A, ?> cast(Method<?, ?> m) {
    return (Method<A, ?>) m;
  }

  private static List<Method<?, ?>> all() {
    List<Method<?, ?>> all = new ArrayList<>(TaskManagerMethods.ALL);
    all.addAll(GuestMethods.ALL);
    all.addAll(ConductorMethods.ALL);
    return all;
  }

  /** A value of the type with every field set, so that a lost field shows as a difference. */
  static Object sample(Type type, String seed) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (List.class.isAssignableFrom(raw)) {
        return List.of(sample(p.getActualTypeArguments()[0], seed));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return Map.of("key_" + seed, "value");
      }
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return "s-" + seed;
    } else if (c == Integer.class) {
      return 7;
    } else if (c == Long.class) {
      return 9L;
    } else if (c == Double.class) {
      return 1672531200.123456;
    } else if (c == Boolean.class) {
      return Boolean.TRUE;
    } else if (c == Secret.class) {
      return new Secret("pw-" + seed);
    } else if (c.isArray()) {
      Object[] array = (Object[]) java.lang.reflect.Array.newInstance(c.getComponentType(), 1);
      array[0] = sample(c.getComponentType(), seed);
      return array;
    } else if (c.isRecord()) {
      RecordComponent[] components = c.getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        values[i] = sample(components[i].getGenericType(), components[i].getName());
        types[i] = components[i].getType();
      }
      try {
        return c.getDeclaredConstructor(types).newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(c.getName(), e);
      }
    }
    throw new IllegalArgumentException("no sample for " + type);
  }
}
