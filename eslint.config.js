import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettierOff from "eslint-config-prettier";

const CLIENT_ONLY_IN_K8S = {
  group: ["@kubernetes/client-node"],
  message: "Only src/k8s/ imports the Kubernetes client; use Kube and KObject (src/k8s/).",
};

/** A folder boundary: `files` may not import what `patterns` name (nor the Kubernetes client). */
function boundary(files, patterns, ignores) {
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: { "no-restricted-imports": ["error", { patterns: [...patterns, CLIENT_ONLY_IN_K8S] }] },
  };
}

export default tseslint.config(
  { ignores: ["node_modules/", "reports/", "dist/", "src/providers/local/go/", ".scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettierOff,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        URL: "readonly",
        Buffer: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']",
          message: "Only src/cli/main.ts may call process.exit.",
        },
      ],
    },
  },
  { files: ["src/cli/main.ts", "bin/**", "test/fixtures/**"], rules: { "no-restricted-syntax": "off" } },
  // Folder boundaries. Each later block replaces the rule for its files, so every block
  // carries the rule that only src/k8s/ imports the Kubernetes client.
  boundary(["src/**", "test/**", "bench/**"], [], ["src/k8s/**", "test/k8s/**"]),
  // The report model depends on nothing but itself; the engine fills it, the reporters render it.
  boundary(
    ["src/report/**"],
    [{ regex: "^\\.\\./", message: "src/report/ is the report model: it imports only itself." }],
  ),
  // Reporters render what the model holds: no engine, and no recomputing aggregates.
  boundary(
    ["src/reporters/**"],
    [
      { regex: "^\\.\\./engine/", message: "Reporters render the report model, not engine state." },
      {
        regex: "^\\.\\./report/(stats|aggregate|run-report)\\.ts$",
        message: "Aggregates are computed once when the report is assembled; render report.aggregates.",
      },
    ],
  ),
  // Plug-ins and their SDK speak the SDK's types: they never reach into the engine (the
  // engine hands them what they need through StepContext/EvalContext), the CLI, a provider's
  // internals or the reporters. Deliberate exceptions, named here:
  // - sdk/types.ts takes the type StartedCluster from providers/provider.ts (the contract
  //   providers implement; ClusterAccess is part of it);
  // - finding/noFinding read the diagnose analysers (src/diagnose is not restricted);
  // - data-plane probes run `kubectl exec` through the process runner of src/util/, not a client.
  boundary(
    ["src/steps/**", "src/probes/**", "src/signals/**", "src/sdk/**"],
    [
      { regex: "(^|/)engine/", message: "Plug-ins use the SDK (src/sdk/), not the engine." },
      { regex: "(^|/)cli/", message: "Plug-ins do not depend on the command line." },
      { regex: "(^|/)reporters?/", message: "Plug-ins do not render reports." },
      {
        regex: "(^|/)providers/(?!provider\\.ts$)",
        message: "Plug-ins reach providers only through StepContext.cluster (types of providers/provider.ts).",
      },
    ],
  ),
  // The pipeline loads, checks and builds scenarios; the engine runs what it built.
  boundary(["src/pipeline/**"], [{ regex: "(^|/)engine/", message: "The pipeline must not import the engine." }]),
  // The engine runs scenarios; src/cli/ calls it, never the other way round.
  boundary(["src/engine/**"], [{ regex: "(^|/)cli/", message: "The engine must not import the CLI." }]),
  // The programmatic API (the package's main export) sits beside the CLI, never on top of it.
  boundary(["src/api/**"], [{ regex: "(^|/)cli/", message: "The API must not import the CLI." }]),
  // A provider is one folder; what two share lives in providers/shared/.
  boundary(
    ["src/providers/*/**"],
    [{ regex: "^\\.\\./(?!shared/)[a-z0-9-]+/", message: "A provider must not import another provider." }],
    ["src/providers/shared/**"],
  ),
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
