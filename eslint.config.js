// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "node_modules/", "bench/out/", "scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-control-regex": "off",
      complexity: ["warn", 25],
      "max-lines": ["warn", { max: 400, skipBlankLines: true, skipComments: true }],
      // chevrotain's values come through grammars/chevrotain.ts, which loads its bundle.
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "chevrotain",
              message: "import chevrotain's values from grammars/chevrotain.ts (types are fine)",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ["grammars/chevrotain.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": "off" },
  },
);
