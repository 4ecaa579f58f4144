import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettierOff from "eslint-config-prettier";

export default tseslint.config(
  { ignores: ["node_modules/", "reports/", "src/providers/local/go/", ".scratch/"] },
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
  {
    // The report model depends on nothing but itself; the engine fills it, the reporters render it.
    files: ["src/report/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^\\.\\./", message: "src/report/ is the report model: it imports only itself." }] },
      ],
    },
  },
  {
    // Reporters render what the model holds: no engine, and no recomputing aggregates.
    files: ["src/reporters/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^\\.\\./engine/", message: "Reporters render the report model, not engine state." },
            {
              regex: "^\\.\\./report/(stats|aggregate|run-report)\\.ts$",
              message: "Aggregates are computed once when the report is assembled; render report.aggregates.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
