"""Pure conversions of Label Studio JSON: regions, the document view, gold policies, the export reader and the task-file reader."""
