"""Official emission exports: norskeutslipp.no, EEA E-PRTR F1_4, Miljødirektoratet's municipal statistics."""
