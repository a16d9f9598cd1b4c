import AmigoCore
