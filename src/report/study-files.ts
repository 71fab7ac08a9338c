// The example files the claims study reads, by role: a module of its own so the web page can name them without
// loading the study's code.
/** The example files (under examples/) the study reads, by role: what `studyInputs` loads. */
export const STUDY_FILES = {
  reliability: {
    uboe: "atlas-950-supercluster-reliability-uboe.yaml",
    roce: "atlas-950-supercluster-reliability-roce.yaml",
  },
  collective: { uboe: "atlas-950-uboe-vs-roce-uboe.yaml", roce: "atlas-950-uboe-vs-roce-roce.yaml" },
} as const;
