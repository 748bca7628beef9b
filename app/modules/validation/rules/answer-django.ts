import { fieldRule } from "./rule";

/** Form field: none (the answer form keeps the field as it is), so its findings show above the form; reported on the front matter. */
export const answerDjango = fieldRule(
  "answer-django",
  "answer",
  "django",
  null,
  'answer: "django" is optional: the Django versions the answer was checked against, as a list of quoted versions, e.g. ["5.2", "6.0"].',
);
