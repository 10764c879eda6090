package io.coffer.api.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.DatastoreAdmin;
import io.coffer.api.service.DatastoreService;
import io.coffer.api.service.FlavorService;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Admin commands, as {@code trove-manage} has them:
 *
 * <pre>
 * datastore_update NAME DEFAULT_VERSION            ("" for none)
 * datastore_version_update DATASTORE VERSION_NAME MANAGER IMAGE_ID PACKAGES ACTIVE
 *                          [--image-tags T1,T2] [--version-number N]
 * db_load_datastore_config_parameters DATASTORE VERSION_NAME [RULES_FILE] [--version N]
 * flavor_create ID NAME RAM_MB VCPUS DISK_GB
 * datastore_version_volume_type_add DATASTORE VERSION_NAME TYPE[,TYPE…]
 * datastore_version_volume_type_delete DATASTORE VERSION_NAME TYPE
 * datastore_version_volume_type_list DATASTORE VERSION_NAME
 * </pre>
 *
 * Without a rules file, the rules Coffer ships for the version's manager are loaded.
 */
@ApplicationScoped
class ManageCommands {

  private final DatastoreAdmin admin;
  private final DatastoreService datastores;
  private final FlavorService flavors;
  private final ObjectMapper json = new ObjectMapper();

  ManageCommands(DatastoreAdmin admin, DatastoreService datastores, FlavorService flavors) {
    this.admin = admin;
    this.datastores = datastores;
    this.flavors = flavors;
  }

  int run(String... args) {
    return run(List.of(args), System.out, System.err);
  }

  @ActivateRequestContext
  int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.println(usage());
      return 2;
    }
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    try {
      switch (args.get(0)) {
        case "datastore_update" -> {
          need(rest, 2);
          admin.datastoreUpdate(rest.get(0), rest.get(1));
          out.println("Datastore '" + rest.get(0) + "' updated.");
        }
        case "datastore_version_update" -> versionUpdate(rest, out);
        case "db_load_datastore_config_parameters" -> loadParameters(rest, out);
        case "flavor_create" -> {
          need(rest, 5);
          flavors.create(
              rest.get(0),
              rest.get(1),
              Integer.parseInt(rest.get(2)),
              Integer.parseInt(rest.get(3)),
              Integer.parseInt(rest.get(4)),
              0);
          out.println("Flavor '" + rest.get(1) + "' created.");
        }
        case "datastore_version_volume_type_add" -> {
          need(rest, 3);
          admin.addVolumeTypes(version(rest).id, List.of(rest.get(2).split(",")));
          out.println("Volume type(s) " + rest.get(2) + " allowed for " + rest.get(1) + ".");
        }
        case "datastore_version_volume_type_delete" -> {
          need(rest, 3);
          admin.deleteVolumeType(version(rest).id, rest.get(2));
          out.println("Volume type " + rest.get(2) + " no longer listed for " + rest.get(1) + ".");
        }
        case "datastore_version_volume_type_list" -> {
          need(rest, 2);
          admin.volumeTypeWhitelist(version(rest).id).stream().sorted().forEach(out::println);
        }
        default -> {
          err.println("Unknown command " + args.get(0) + ".\n" + usage());
          return 2;
        }
      }
      return 0;
    } catch (CofferException | IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private void versionUpdate(List<String> rest, PrintStream out) {
    String tags = option(rest, "--image-tags");
    String number = option(rest, "--version-number");
    need(rest, 6);
    DatastoreVersionEntity v =
        admin.versionUpdate(
            rest.get(0),
            rest.get(1),
            rest.get(2),
            rest.get(3),
            tags,
            rest.get(4),
            parseBool(rest.get(5)),
            number);
    out.println("Datastore version '" + rest.get(1) + "' (" + v.id + ") updated.");
  }

  private void loadParameters(List<String> rest, PrintStream out) throws IOException {
    String number = option(rest, "--version");
    if (rest.size() < 2) {
      throw new IllegalArgumentException("need DATASTORE VERSION_NAME [RULES_FILE]");
    }
    var ds = datastores.datastore(rest.get(0));
    DatastoreVersionEntity v =
        number == null
            ? datastores.version(ds, rest.get(1))
            : datastores.versionsOf(ds, true).stream()
                .filter(x -> x.name.equals(rest.get(1)) && number.equals(x.version))
                .findFirst()
                .orElseThrow(
                    () -> new IllegalArgumentException("no version " + rest.get(1) + " " + number));
    JsonNode rules;
    if (rest.size() > 2) {
      rules = json.readTree(Files.readAllBytes(Path.of(rest.get(2))));
    } else {
      String resource = "/datastores/" + v.manager + "/validation-rules.json";
      try (InputStream in = getClass().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalArgumentException(
              "Coffer ships no rules for manager " + v.manager + "; give a file");
        }
        rules = json.readTree(in);
      }
    }
    int n = admin.loadParameters(v.id, rules);
    out.println("Loaded " + n + " configuration parameter(s) for " + ds.name + " " + v.name + ".");
  }

  private DatastoreVersionEntity version(List<String> rest) {
    return datastores.version(datastores.datastore(rest.get(0)), rest.get(1));
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0) {
      return null;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String v = args.get(i + 1);
    args.remove(i + 1);
    args.remove(i);
    return v;
  }

  private static void need(List<String> args, int n) {
    if (args.size() < n) {
      throw new IllegalArgumentException(
          "expected " + n + " arguments, got " + args.size() + ": " + args);
    }
  }

  private static boolean parseBool(String s) {
    if (Arrays.asList("1", "true", "True", "yes").contains(s)) {
      return true;
    }
    if (Arrays.asList("0", "false", "False", "no").contains(s)) {
      return false;
    }
    throw new IllegalArgumentException("ACTIVE must be 1 or 0, not " + s);
  }

  private static String usage() {
    return "usage: manage datastore_update NAME DEFAULT_VERSION\n"
        + "       manage datastore_version_update DATASTORE VERSION_NAME MANAGER IMAGE_ID PACKAGES ACTIVE"
        + " [--image-tags T1,T2] [--version-number N]\n"
        + "       manage db_load_datastore_config_parameters DATASTORE VERSION_NAME [RULES_FILE]"
        + " [--version N]\n"
        + "       manage flavor_create ID NAME RAM_MB VCPUS DISK_GB\n"
        + "       manage datastore_version_volume_type_add DATASTORE VERSION_NAME TYPE[,TYPE...]\n"
        + "       manage datastore_version_volume_type_delete DATASTORE VERSION_NAME TYPE\n"
        + "       manage datastore_version_volume_type_list DATASTORE VERSION_NAME";
  }
}
