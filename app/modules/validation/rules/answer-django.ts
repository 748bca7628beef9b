import { fieldRule } from "./rule";

/** Form field: none (the answer form keeps the field as it is); reported on the front matter. */
export const answerDjango = fieldRule(
  "answer-django",
  "answer",
  "django",
  'answer: "django" is optional: the Django versions the answer was checked against, as a list of quoted versions, e.g. ["5.2", "6.0"].',
);
