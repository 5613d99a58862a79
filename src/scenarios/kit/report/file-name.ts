/**
 * The name of a folder's HTML report. Its own module so `file_integrity` can leave the page out
 * of the unlisted files without loading the report builder: the page is made from the listed
 * files after the run and is rewritten by every `report`, so no manifest lists it.
 */
export const REPORT_HTML = "report.html";
