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
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
