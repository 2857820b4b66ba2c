// The page's experiments, in lesson order (their numbers are their places here). Adding one:
// web/experiments/<name>.js and .html, web/charts/<name>.js, and one line below (what each
// holds: docs/architecture.md, "Adding an experiment"); build-wasm.sh puts its scripts,
// section, summary row and embed snippet into the page.
(self.RnnLesson = self.RnnLesson || {}).LIST = [
  'timing',
  'gradient',
  'retention',
  'architectures',
  'memory',
  'parallel',
  'train',
  'recall',
  'gpu',
];
// An experiment's number in the lesson, for words that refer to another experiment (0: not listed).
self.RnnLesson.numberOf = (name) => self.RnnLesson.LIST.indexOf(name) + 1;
